import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DatabaseSettings } from '../config/app-config';
import { buildDataSourceOptions } from './data-source-options';
import { DataVersion } from './data-version';
import { OnceRunner } from './once-runner';
import { Transactions } from './transactions';

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(settings: DatabaseSettings): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [TypeOrmModule.forRoot({ ...buildDataSourceOptions(settings), migrationsRun: true })],
      providers: [Transactions, DataVersion, OnceRunner],
      exports: [Transactions, DataVersion, OnceRunner],
    };
  }
}
