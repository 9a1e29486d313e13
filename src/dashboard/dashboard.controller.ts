import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Public } from '../common/auth.decorators';
import { notFound } from '../common/domain-error';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { AssetRoots, assetRoots, contentTypeOf, resolveAsset } from './dashboard-assets';

// The page and its files need no token: the page asks for one and sends it with every API call.
@ApiExcludeController()
@Controller()
export class DashboardController {
  private readonly roots: AssetRoots;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.roots = assetRoots(config.projectRoot);
  }

  @Get()
  @Public()
  page(@Res() response: Response): void {
    this.send(response, path.join(this.roots.publicDir, 'index.html'));
  }

  @Get('assets/:name')
  @Public()
  asset(@Param('name') name: string, @Res() response: Response): void {
    const file = resolveAsset(this.roots, name);
    if (!file || !fs.existsSync(file)) throw notFound('ファイル', name);
    this.send(response, file);
  }

  private send(response: Response, file: string): void {
    response.setHeader('Content-Type', contentTypeOf(file));
    // the Content-Security-Policy (self only, no inline script) comes from common/security-headers
    // revalidate on every load so an upgrade is picked up at once; the files are small
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(file, (error) => {
      // a file that vanished between the check and the read: answer in the API's error shape
      if (error && !response.headersSent) {
        response.status(404).json({ statusCode: 404, code: 'not_found', message: `ファイルが見つかりません: ${path.basename(file)}` });
      }
    });
  }
}
