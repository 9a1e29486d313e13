import { OptionalText } from '../../common/validation';

/** Filters of a program's export: those of the item list, plus the as-of date. */
export class ItemExportQueryDto {
  @OptionalText('state as of this date (YYYY-MM-DD or 和暦); default: the items as they stand', 40) asOf?: string;
  @OptionalText('a department code or name (editors: their own, the default)', 100) department?: string;
  @OptionalText('a division code or name', 100) division?: string;
  @OptionalText('a state key or label (the state as of asOf)', 40) status?: string;
  @OptionalText('online: mynumber27 / priority24 / city (or the label)', 40) nationalGroup?: string;
  @OptionalText('code or name contains (NFKC-folded)', 200) q?: string;
}

export class ComplianceQueryDto {
  @OptionalText('report date (YYYY-MM-DD or 和暦); default today', 40) asOf?: string;
  @OptionalText('a department code or name (editors: their own, the default)', 100) department?: string;
  @OptionalText('変更履歴 from this day (default: 1 April of the as-of fiscal year)', 40) from?: string;
  @OptionalText('変更履歴 up to this day, included (default: the as-of date)', 40) to?: string;
}
