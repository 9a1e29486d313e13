import { InitialSchema1764000000000 } from './1764000000000-InitialSchema';
import { PlansAndVolumes1764400000000 } from './1764400000000-PlansAndVolumes';
import { ProgressIndexes1764500000000 } from './1764500000000-ProgressIndexes';
import { LaterChangesIndex1764600000000 } from './1764600000000-LaterChangesIndex';
import { Programs1765100000000 } from './1765100000000-Programs';
import { ItemFieldsJson1765110000000 } from './1765110000000-ItemFieldsJson';
import { SignIn1765200000000 } from './1765200000000-SignIn';
import { JobRuns1765300000000 } from './1765300000000-JobRuns';
import { FoldItemCodes1765500000000 } from './1765500000000-FoldItemCodes';
import { MonthlyReports1765600000000 } from './1765600000000-MonthlyReports';
import { Attachments1765700000000 } from './1765700000000-Attachments';
import { DivisionContacts1765700001000 } from './1765700001000-DivisionContacts';
import { SurveysAndConfirmations1765800000000 } from './1765800000000-SurveysAndConfirmations';
import { NationalGroupColumn1765950000000 } from './1765950000000-NationalGroupColumn';

// Listed explicitly (not globbed) so the compiled app and the swc-run tests load the same set.
export const MIGRATIONS = [
  InitialSchema1764000000000,
  PlansAndVolumes1764400000000,
  ProgressIndexes1764500000000,
  LaterChangesIndex1764600000000,
  Programs1765100000000,
  ItemFieldsJson1765110000000,
  SignIn1765200000000,
  JobRuns1765300000000,
  FoldItemCodes1765500000000,
  MonthlyReports1765600000000,
  Attachments1765700000000,
  DivisionContacts1765700001000,
  SurveysAndConfirmations1765800000000,
  NationalGroupColumn1765950000000,
];
