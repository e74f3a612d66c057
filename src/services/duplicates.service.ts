import type { DuplicateGroup } from '../repositories/duplicates.repository';
import type { UnitOfWork } from '../repositories/unit-of-work';
import type { ListResult } from './client.service';
import { decodeDuplicatesCursor, encodeDuplicatesCursor } from './duplicates-cursor';

/**
 * A group is listed with its oldest clients only: a key shared by thousands of clients (a
 * switchboard number, an info@ address) must not make one page carry all of them. `total` says
 * how many there are.
 */
export const MEMBERS_PER_GROUP = 50;

/** A group as the API lists it: the repository's group as it is. */
export type DuplicateGroupView = DuplicateGroup;

export interface DuplicateListParams {
  readonly limit: number;
  readonly cursor?: string;
}

/** Groups of live clients that look like the same person or company (GET /clients/duplicates). */
export class DuplicatesService {
  constructor(private readonly uow: UnitOfWork) {}

  async list(params: DuplicateListParams): Promise<ListResult<DuplicateGroupView>> {
    const page = await this.uow.repositories.duplicates.list({
      limit: params.limit,
      after: params.cursor ? decodeDuplicatesCursor(params.cursor) : null,
      membersPerGroup: MEMBERS_PER_GROUP,
    });
    return {
      data: page.data,
      nextCursor: page.nextPosition ? encodeDuplicatesCursor(page.nextPosition) : null,
    };
  }
}
