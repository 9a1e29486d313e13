import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EntityManager, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../common/actor';
import { Clock, CLOCK } from '../common/clock';
import { DomainError, forbidden, notFound } from '../common/domain-error';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { Transactions } from '../database/transactions';
import { Attachment } from './attachment.entity';
import { AttachmentStore } from './attachment-store';
import { checkAttachmentContent } from './content-type';

export interface AttachmentView {
  id: number;
  itemId: number;
  fileName: string;
  size: number;
  contentType: string;
  sha256: string;
  uploadedBy: string;
  uploadedAt: string;
  /** Where to download it. */
  url: string;
}

export interface AttachmentUpload {
  /** Multer's temporary file. */
  path: string;
  originalname: string;
}

interface ItemPlacement {
  id: number;
  code: string;
  departmentId: number;
}

const MAX_NAME_LENGTH = 255;
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

function toView(row: Attachment): AttachmentView {
  return {
    id: row.id,
    itemId: row.itemId,
    fileName: row.fileName,
    size: row.size,
    contentType: row.contentType,
    sha256: row.sha256,
    uploadedBy: row.uploadedBy,
    uploadedAt: row.uploadedAt,
    url: `/api/v1/attachments/${row.id}`,
  };
}

/** The name to keep: the last path segment as sent (browsers on Windows may send C:\…\name). */
export function cleanFileName(raw: string): string {
  const name = raw.split(/[\\/]/).pop()!.trim();
  if (!name) throw new DomainError('invalid_file_name', 'ファイル名がありません', 400);
  if (CONTROL_CHARACTER.test(name)) throw new DomainError('invalid_character', 'ファイル名に制御文字が含まれています', 400, { fileName: name });
  if (name.length > MAX_NAME_LENGTH) throw new DomainError('too_long', `ファイル名は${MAX_NAME_LENGTH}文字以内にしてください`, 400, { fileName: name });
  return name;
}

/** Editors attach to their own department's items; admins to any. */
export function canAttach(actor: Actor, departmentId: number): boolean {
  if (actor.role === 'admin') return true;
  return actor.role === 'editor' && actor.departmentId !== null && actor.departmentId === departmentId;
}

/** How many files an item has: what the evidence rule for done states counts. */
export async function countAttachments(manager: EntityManager, itemId: number): Promise<number> {
  return manager.getRepository(Attachment).count({ where: { itemId } });
}

/** Files per item for many items at once (an import checks a chunk of rows with one query). */
export async function attachmentCountsByItem(manager: EntityManager, itemIds: number[]): Promise<Map<number, number>> {
  if (!itemIds.length) return new Map();
  const rows = await manager
    .getRepository(Attachment)
    .createQueryBuilder('a')
    .select('a.item_id', 'itemId')
    .addSelect('COUNT(*)', 'n')
    .where('a.item_id IN (:...ids)', { ids: itemIds })
    .groupBy('a.item_id')
    .getRawMany<{ itemId: number | string; n: number | string }>();
  return new Map(rows.map((row) => [Number(row.itemId), Number(row.n)]));
}

@Injectable()
export class AttachmentsService {
  readonly store: AttachmentStore;

  constructor(
    @InjectRepository(Attachment) private readonly attachments: Repository<Attachment>,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.store = new AttachmentStore(config.attachmentsDir);
  }

  private async placement(itemId: number): Promise<ItemPlacement> {
    // Plain SQL on the items table: this folder reads an item's placement without depending on the items module.
    const manager = this.attachments.manager;
    const [sql, values] = manager.connection.driver.escapeQueryWithParameters(
      'SELECT i.id, i.code, d.department_id FROM items i JOIN divisions d ON d.id = i.division_id WHERE i.id = :id',
      { id: itemId },
    );
    const rows: { id: number; code: string; department_id: number }[] = await manager.query(sql, values);
    if (!rows.length) throw notFound('項目', itemId);
    return { id: Number(rows[0].id), code: rows[0].code, departmentId: Number(rows[0].department_id) };
  }

  async attach(itemId: number, upload: AttachmentUpload, actor: Actor): Promise<AttachmentView> {
    const item = await this.placement(itemId);
    if (!canAttach(actor, item.departmentId)) throw forbidden('この項目は所属部局の項目ではないため資料を添付できません');
    const fileName = cleanFileName(upload.originalname);
    const { contentType } = await checkAttachmentContent(upload.path, fileName);
    // The file is stored before its row: a row never names bytes that are not there (a crash in
    // between leaves an unreferenced file, which costs only disk).
    const stored = await this.store.adopt(upload.path);
    const id = await this.transactions.run(async (manager) => {
      const inserted = await manager.getRepository(Attachment).insert({
        itemId,
        sha256: stored.sha256,
        fileName,
        size: stored.size,
        contentType,
        uploadedBy: actor.name,
        uploadedAt: this.clock.now().toISOString(),
      });
      const attachmentId = Number(inserted.identifiers[0].id);
      await this.audit.record(
        actor,
        'attachment_added',
        { attachmentId, itemId, item: item.code, fileName, size: stored.size, contentType, sha256: stored.sha256 },
        manager,
      );
      return attachmentId;
    });
    return toView(await this.attachments.findOneByOrFail({ id }));
  }

  async list(itemId: number): Promise<{ attachments: AttachmentView[] }> {
    await this.placement(itemId);
    const rows = await this.attachments.find({ where: { itemId }, order: { id: 'ASC' } });
    return { attachments: rows.map(toView) };
  }

  /** The row and the path of its bytes, for a download (recorded in the audit log). */
  async open(id: number, actor: Actor): Promise<{ attachment: AttachmentView; file: string }> {
    const row = await this.attachments.findOneBy({ id });
    if (!row) throw notFound('添付資料', id);
    const file = this.store.pathOf(row.sha256);
    if (!fs.existsSync(file)) {
      throw new DomainError(
        'attachment_file_missing',
        `添付資料「${row.fileName}」のファイルが保存場所（${path.basename(this.store.dir)}）にありません。ATTACHMENTS_DIR の設定を確認してください`,
        404,
      );
    }
    await this.audit.record(actor, 'attachment_downloaded', { attachmentId: id, itemId: row.itemId, fileName: row.fileName });
    return { attachment: toView(row), file };
  }
}
