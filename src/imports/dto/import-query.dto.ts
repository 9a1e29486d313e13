import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { SheetUploadQuery } from '../../sheet-import/sheet-upload';

const BOOLEAN_TEXT = ['true', 'false', '1', '0'];

/** Query of POST /api/v1/imports/:program (dryRun and sheet as every sheet upload); the file comes as the multipart field `file`. */
export class ImportQueryDto extends SheetUploadQuery {
  @ApiPropertyOptional({ description: 'true: add the per-row plan (create / update / unchanged)', enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(BOOLEAN_TEXT)
  plan?: string;

  @ApiPropertyOptional({ description: 'Answer this 照会 round with the sheet (one division\'s rows only)', example: 'seal-2026-12' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  survey?: string;

  @ApiPropertyOptional({ description: 'With survey: the division answering (code or name); default the first row\'s' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  division?: string;

  @ApiPropertyOptional({ description: 'Default completion date for done rows without 完了日 (default today, never later)', example: '2026-11-24' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  asOf?: string;

  @ApiPropertyOptional({ description: 'The sheet\'s own headers → the program\'s columns, a JSON object', example: '{"No.":"管理番号","様式名":"名称"}' })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  mapping?: string;

  @ApiPropertyOptional({ description: 'true: rows without 管理番号 get a new code (PROGRAM-A00001 …); the column may be missing', enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(BOOLEAN_TEXT)
  assignCodes?: string;
}
