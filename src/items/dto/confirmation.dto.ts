import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsInt, IsOptional } from 'class-validator';
import { OptionalText } from '../../common/validation';

/** The items a bulk confirm or return acts on: `ids`, or every reported item of a program's filtered list. */
export class ConfirmItemsDto {
  @ApiPropertyOptional({ type: [Number], description: 'Item ids (at most 5000)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5000)
  @IsInt({ each: true })
  ids?: number[];

  @OptionalText('Instead of ids: the program whose reported items (filtered as the list is) are meant', 32, 'seal') program?: string;
  @OptionalText('list filter: state key or label', 32) status?: string;
  @OptionalText('list filter: division code or name', 100) division?: string;
  @OptionalText('list filter: department code or name', 100) department?: string;
  @OptionalText('list filter: code or name contains', 200) q?: string;
  @OptionalText('list filter: national group', 32) nationalGroup?: string;
}

export class ReturnItemsDto extends ConfirmItemsDto {
  @OptionalText('Why the report is returned (差戻しの理由), required', 2000) reason?: string;
}

export class ReturnItemDto {
  @OptionalText('Why the report is returned (差戻しの理由), required', 2000) reason?: string;
}
