import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, MaxLength, Min, ValidateNested } from 'class-validator';
import { OptionalText } from '../../common/validation';
import { MAX_BULK_ITEMS } from '../bulk-change';

/** The items list's filters (GET …/items), for 「すべて選択」 over the filtered list. */
export class BulkFilterDto {
  @OptionalText('状況 (key or label)', 32) status?: string;
  @OptionalText('所管課 (code or name)', 100) division?: string;
  @OptionalText('部局 (code or name)', 100) department?: string;
  @OptionalText('国の区分', 32) nationalGroup?: string;
  @OptionalText('管理番号・名称 contains', 200) q?: string;
}

export class BulkChangeDto {
  @ApiPropertyOptional({ type: [Number], description: `item ids (at most ${MAX_BULK_ITEMS}); or give filter instead` })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_BULK_ITEMS)
  @IsInt({ each: true })
  ids?: number[];

  @ApiPropertyOptional({ type: BulkFilterDto, description: 'every item the list filter matches; or give ids instead' })
  @IsOptional()
  @ValidateNested()
  @Type(() => BulkFilterDto)
  filter?: BulkFilterDto;

  @ApiProperty({ description: '状況: a state key or Japanese label', example: 'abolished' })
  @IsString()
  @MaxLength(32)
  status!: string;

  @OptionalText('完了日 (done states; default today)', 32, '2026-11-24') completedOn?: string;
  @OptionalText('備考 (one note for every item; required for an excluding state)') note?: string;

  @ApiPropertyOptional({ description: 'the count the user confirmed; another count now gets 409 bulk_count_changed' })
  @IsOptional()
  @IsInt()
  @Min(0)
  expectedCount?: number;
}
