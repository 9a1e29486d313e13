import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { Roles } from '../common/auth.decorators';
import { zonedTimestamp } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { parseAsOf } from '../common/query-params';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { auditRange } from './audit-range';
import { AuditService } from './audit.service';

export class AuditQueryDto {
  @ApiPropertyOptional({ description: 'first day (YYYY-MM-DD or 和暦), in the city time zone', example: '2026-11-01' })
  @IsOptional()
  @IsString()
  from?: string;

  @ApiPropertyOptional({ description: 'last day, included', example: '2026-11-30' })
  @IsOptional()
  @IsString()
  to?: string;

  @ApiPropertyOptional({ description: 'only this action (import, export, reorganization, …)', example: 'import' })
  @IsOptional()
  @IsString()
  action?: string;

  @ApiPropertyOptional({ description: 'only entries by this user (name as recorded)' })
  @IsOptional()
  @IsString()
  by?: string;
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Imports, exports, reorganizations, backups, token creation and revocation: who and when. */
  @Get()
  @Roles('admin')
  async list(@Query() query: AuditQueryDto) {
    const from = query.from ? parseAsOf(query.from) : undefined;
    const to = query.to ? parseAsOf(query.to) : undefined;
    if (from && to && from > to) throw new DomainError('invalid_range', `期間の開始日（${from}）が終了日（${to}）より後になっています`);
    const entries = await this.audit.list(auditRange(from, to, this.config.timeZone), { action: query.action?.trim() || undefined, by: query.by?.trim() || undefined });
    // `at` stays the UTC instant; `atLocal` is the same moment on the city's clock (TRACKER_TIME_ZONE)
    return { timeZone: this.config.timeZone, entries: entries.map((entry) => ({ ...entry, atLocal: zonedTimestamp(entry.at, this.config.timeZone) })) };
  }
}
