import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor, Roles } from '../common/auth.decorators';
import { Actor } from '../common/actor';
import { attachmentDisposition } from '../common/download-header';
import { AnswerSurveyDto, OpenSurveyDto, ReturnSurveyDto } from './dto/survey-body.dto';
import { SheetFile, SurveysService } from './surveys.service';

@ApiTags('surveys')
@ApiBearerAuth()
@Controller('api/v1/surveys')
export class SurveysController {
  constructor(private readonly surveys: SurveysService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Open a 照会 round for every division that owns items of the program (in the departments given)' })
  open(@Body() body: OpenSurveyDto, @CurrentActor() actor: Actor) {
    return this.surveys.open({ ...body }, actor);
  }

  @Get()
  list(@CurrentActor() actor: Actor) {
    return this.surveys.list(actor);
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.surveys.get(id);
  }

  @Get(':id/sheets.zip')
  @ApiOperation({ summary: 'Every division\'s prefilled sheet of the round, in one zip' })
  async zip(@Param('id') id: string, @CurrentActor() actor: Actor, @Res() response: Response) {
    send(response, await this.surveys.sheetsZip(id, actor));
  }

  @Get(':id/sheets/:division.xlsx')
  @ApiOperation({ summary: 'A division\'s prefilled sheet: its items in the import layout under the round\'s title and due date (和暦)' })
  async sheet(@Param('id') id: string, @Param('division') division: string, @CurrentActor() actor: Actor, @Res() response: Response) {
    send(response, await this.surveys.divisionSheet(id, division, actor));
  }

  @Post(':id/divisions/:division/answer')
  @Roles('admin', 'editor')
  @HttpCode(200)
  @ApiOperation({ summary: 'Answer with nothing to change ({ "noChange": true }); a sheet answers through POST /imports/:program?survey=' })
  answer(@Param('id') id: string, @Param('division') division: string, @Body() body: AnswerSurveyDto, @CurrentActor() actor: Actor) {
    return this.surveys.answerNoChange(id, division, { ...body }, actor);
  }

  @Post(':id/divisions/:division/confirm')
  @Roles('admin')
  @HttpCode(200)
  confirm(@Param('id') id: string, @Param('division') division: string, @CurrentActor() actor: Actor) {
    return this.surveys.confirm(id, division, actor);
  }

  @Post(':id/divisions/:division/return')
  @Roles('admin')
  @HttpCode(200)
  returnAnswer(@Param('id') id: string, @Param('division') division: string, @Body() body: ReturnSurveyDto, @CurrentActor() actor: Actor) {
    return this.surveys.returnAnswer(id, division, body.reason, actor);
  }
}

function send(response: Response, file: SheetFile): void {
  response.status(200);
  response.setHeader('Content-Type', file.contentType);
  response.setHeader('Content-Disposition', attachmentDisposition(file.fileName, file.asciiName));
  response.setHeader('Cache-Control', 'no-store');
  response.end(file.buffer);
}
