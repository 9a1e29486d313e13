import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSourceOptions } from 'typeorm';
import { DatabaseSettings } from '../config/app-config';
import { buildDataSourceOptions } from './data-source-options';
import { DataVersion } from './data-version';
import { OnceRunner } from './once-runner';
import { Transactions } from './transactions';

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(settings: DatabaseSettings, entities: NonNullable<DataSourceOptions['entities']>): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [TypeOrmModule.forRoot({ ...buildDataSourceOptions(settings, entities), migrationsRun: true })],
      providers: [Transactions, DataVersion, OnceRunner],
      exports: [Transactions, DataVersion, OnceRunner],
    };
  }
}
