import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Cases one online procedure received in one month, online and at the counter / on paper. */
@Entity({ name: 'channel_volumes' })
@Index('uq_channel_volumes_item_month', ['itemId', 'month'], { unique: true })
export class ChannelVolume {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'item_id', type: 'integer' })
  itemId!: number;

  /** YYYY-MM */
  @Column({ type: 'varchar', length: 7 })
  month!: string;

  @Column({ name: 'online_count', type: 'integer' })
  online!: number;

  @Column({ name: 'offline_count', type: 'integer' })
  offline!: number;

  @Column({ name: 'updated_at', type: 'varchar', length: 30 })
  updatedAt!: string;
}
