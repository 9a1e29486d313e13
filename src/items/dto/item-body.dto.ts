import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString } from 'class-validator';
import { OptionalText } from '../../common/validation';

// Bodies use the sheet keys (CONTRACT.md "Sheet layout"); values are normalized like sheet cells,
// so 和暦 dates, 全角 digits and Japanese labels are accepted. These classes document the common
// fields for the API explorer; each program's own fields go by their keys (GET
// /api/v1/programs/:program lists them). The body is checked against the program definitions by
// checkItemBody (item-body.ts), not by these classes.
export class ItemFieldsDto {
  @OptionalText('管理番号 (unique within the program)', 64, 'SEAL-0001') code?: string;
  @OptionalText('名称 (procedure, form or rule name), stored as typed', 500) name?: string;
  @OptionalText('所管課: a division code or name', 100, '総務課') division?: string;
  @OptionalText('状況: a state key or Japanese label', 32, 'abolished') status?: string;
  @OptionalText('完了日 (done states; defaults to today)', 32, '2026-04-01') completedOn?: string;
  @OptionalText('予定日', 32) dueOn?: string;
  @OptionalText('備考 (required for an excluding state, and to leave a done state)') note?: string;
  @OptionalText('For a state that is not done: the date from which it holds (default today)', 32) effectiveOn?: string;
}

export class CreateItemDto extends ItemFieldsDto {}

export class UpdateItemDto extends ItemFieldsDto {
  @ApiProperty({ description: 'The version read with the item; a stale one gets 409' })
  @IsInt()
  version!: number;
}

export class ItemListQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() status?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() division?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() department?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() nationalGroup?: string;
  @ApiPropertyOptional({ description: 'code or name contains (NFKC-folded)' }) @IsOptional() @IsString() q?: string;
  @ApiPropertyOptional({ description: 'true: only completions awaiting confirmation (報告済)' }) @IsOptional() @IsString() reported?: string;
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @IsString() page?: string;
  @ApiPropertyOptional({ default: 50, maximum: 500 }) @IsOptional() @IsString() pageSize?: string;
}
