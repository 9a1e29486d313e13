import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Department } from '../organization/department.entity';
import { DashboardController } from './dashboard.controller';
import { MeController } from './me.controller';

@Module({
  imports: [TypeOrmModule.forFeature([Department])],
  controllers: [DashboardController, MeController],
})
export class DashboardModule {}
