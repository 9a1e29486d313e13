import type { EntityManager } from 'typeorm';
import { Actor } from './actor';

// How an import answers a 照会 round (`?survey=<id>`) without the imports folder knowing the
// surveys folder (which uses the import template): the surveys module provides SURVEY_ANSWERS.

export const SURVEY_ANSWERS = Symbol('SURVEY_ANSWERS');

export interface SurveyAnswerScope {
  surveyId: string;
  /** Divisions of the round this actor may answer for (not yet confirmed). */
  divisionIds: ReadonlySet<number>;
  /** The division answering, when the request names it; else the first row's division. */
  divisionId?: number;
}

export interface SurveyAnswers {
  /** Checks the round, its program and the actor; 404/400/403/409 as DomainError. */
  answerScope(surveyId: string, program: string, actor: Actor, division?: string): Promise<SurveyAnswerScope>;
  /** Records the division's answer by sheet, in the import's transaction. */
  recordSheetAnswer(manager: EntityManager, surveyId: string, divisionId: number, actor: Actor, rows: number): Promise<void>;
}

/** One line of the compliance workbook's 回答状況 sheet. */
export interface SurveyStatusLine {
  surveyId: string;
  title: string;
  program: string;
  dueOn: string;
  departmentCode: string;
  department: string;
  divisionCode: string;
  division: string;
  status: 'waiting' | 'answered' | 'returned' | 'confirmed';
  answeredAt: string | null;
  answeredBy: string | null;
  rows: number | null;
  late: boolean;
}

export const SURVEY_STATUS_SOURCE = Symbol('SURVEY_STATUS_SOURCE');

export interface SurveyStatusSource {
  statusLines(today: string): Promise<SurveyStatusLine[]>;
}
