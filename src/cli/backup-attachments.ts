import { copyAttachmentFiles } from '../attachments/attachment-store';
import { AppConfig } from '../config/app-config';

// The evidence files live beside the database, not in it: `backup --out FILE` copies them to
// FILE.attachments/ after the database copy. Rows in the copy were written after their files
// (see AttachmentsService.attach), so every file the copied database names is already on disk
// when this runs. Restore: serve FILE with ATTACHMENTS_DIR=FILE.attachments.

export interface AttachmentsBackup {
  dir: string;
  files: number;
  bytes: number;
}

export function attachmentsBackupDir(databaseCopy: string): string {
  return `${databaseCopy}.attachments`;
}

export async function backupAttachments(config: AppConfig, databaseCopy: string): Promise<AttachmentsBackup> {
  const dir = attachmentsBackupDir(databaseCopy);
  const copied = await copyAttachmentFiles(config.attachmentsDir, dir);
  return { dir, ...copied };
}
