import { Inject, Injectable } from '@nestjs/common';
import { monthOf } from '../calendar';
import { Clock, CLOCK } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { ProgressService } from '../progress/progress.service';
import { ReformService } from '../reform/reform.service';
import { VolumesService } from '../volumes/volumes.service';
import { buildPublicReform } from './public-reform';
import { buildPublicReport, PublicReport } from './public-report';

@Injectable()
export class PublicReportingService {
  constructor(
    private readonly progress: ProgressService,
    private readonly volumes: VolumesService,
    private readonly reform: ReformService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Off (the default) answers 404 exactly like a path that does not exist. */
  ensureEnabled(): void {
    if (!this.config.publicReporting) throw new DomainError('not_found', '見つかりません', 404);
  }

  /** The aggregates as of `asOf` (default today); take-up over the twelve months up to it. */
  async report(asOf?: string): Promise<PublicReport> {
    this.ensureEnabled();
    const date = asOf ?? this.clock.today();
    const [progress, takeUp] = await Promise.all([this.progress.progress(date), this.volumes.takeUp({ to: monthOf(date) })]);
    const reform = await this.reform.progress(date, progress);
    const published = reform.areas.some((area) => area.initiatives.length) ? buildPublicReform(reform) : null;
    return buildPublicReport(progress, takeUp, published);
  }
}
