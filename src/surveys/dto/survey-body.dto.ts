import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import { OptionalText } from '../../common/validation';

export class OpenSurveyDto {
  @OptionalText('The round\'s id (letters, digits, . _ -)', 64, 'seal-2026-12') id?: string;
  @OptionalText('件名', 200, '押印廃止の進捗照会（令和8年12月）') title?: string;
  @OptionalText('Program key', 32, 'seal') program?: string;
  @OptionalText('回答期限 (ISO or 和暦)', 32, '2026-12-10') dueOn?: string;

  @ApiPropertyOptional({ type: [String], description: 'Departments in scope (codes or names); default every department' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  departments?: string[];
}

export class AnswerSurveyDto {
  @ApiPropertyOptional({ description: 'true: the division has nothing to change' })
  @IsOptional()
  @IsBoolean()
  noChange?: boolean;
}

export class ReturnSurveyDto {
  @OptionalText('Why the answer is returned (差戻しの理由), required', 2000) reason?: string;
}
