import type { Client } from './client';
import type { Exchange } from './exchange';

/** A record in the trash, as `GET /api/v1/trash` lists it. */
export type TrashItem =
  | { readonly type: 'client'; readonly id: string; readonly deletedAt: string; readonly purgeAt: string; readonly record: Client }
  | { readonly type: 'exchange'; readonly id: string; readonly deletedAt: string; readonly purgeAt: string; readonly record: Exchange };

export const TRASH_TYPES = ['client', 'exchange'] as const;
export type TrashType = (typeof TRASH_TYPES)[number];
