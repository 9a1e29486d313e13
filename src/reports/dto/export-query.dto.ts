import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** Filters of a program's export: those of the item list, plus the as-of date. */
export class ItemExportQueryDto {
  @ApiPropertyOptional({ description: 'state as of this date (YYYY-MM-DD or 和暦); default: the items as they stand' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  asOf?: string;

  @ApiPropertyOptional({ description: 'a department code or name (editors: their own, the default)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  department?: string;

  @ApiPropertyOptional({ description: 'a division code or name' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  division?: string;

  @ApiPropertyOptional({ description: 'a state key or label (the state as of asOf)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  status?: string;

  @ApiPropertyOptional({ description: 'online: mynumber27 / priority24 / city (or the label)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  nationalGroup?: string;

  @ApiPropertyOptional({ description: 'code or name contains (NFKC-folded)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

export class ComplianceQueryDto {
  @ApiPropertyOptional({ description: 'report date (YYYY-MM-DD or 和暦); default today' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  asOf?: string;

  @ApiPropertyOptional({ description: 'a department code or name (editors: their own, the default)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  department?: string;

  @ApiPropertyOptional({ description: '変更履歴 from this day (default: 1 April of the as-of fiscal year)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  from?: string;

  @ApiPropertyOptional({ description: '変更履歴 up to this day, included (default: the as-of date)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  to?: string;
}
