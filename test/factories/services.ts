import { InMemoryUnitOfWork } from '../../src/repositories/in-memory/in-memory-unit-of-work';
import type { UnitOfWork } from '../../src/repositories/unit-of-work';
import { ClientService } from '../../src/services/client.service';
import { ExchangeService } from '../../src/services/exchange.service';
import { HistoryService } from '../../src/services/history.service';
import { IdempotencyService } from '../../src/services/idempotency.service';
import { DEFAULT_TRASH, type TrashSettings } from '../../src/services/record-lifecycle';
import { TrashService } from '../../src/services/trash.service';

/**
 * A clock the test moves by hand; it stands still unless told otherwise. It starts at the wall
 * clock's time because an idempotency claim, in every tier, lets an expired key go by the wall
 * clock, not the service's.
 */
export class TestClock {
  constructor(private instant = Date.now()) {}

  readonly now = (): string => new Date(this.instant).toISOString();

  advance(ms: number): void {
    this.instant += ms;
  }
}

export interface Services {
  readonly uow: UnitOfWork;
  readonly clock: TestClock;
  readonly clients: ClientService;
  readonly exchanges: ExchangeService;
  readonly idempotency: IdempotencyService;
  readonly history: HistoryService;
  readonly trash: TrashService;
}

/** The services as the app wires them, over the in-memory tier (or the given unit of work), with the given trash retention. */
export function inMemoryServices(
  uow: UnitOfWork = new InMemoryUnitOfWork(),
  clock = new TestClock(),
  trash: TrashSettings = DEFAULT_TRASH,
): Services {
  return {
    uow,
    clock,
    clients: new ClientService(uow, clock.now, trash),
    exchanges: new ExchangeService(uow, clock.now, trash),
    idempotency: new IdempotencyService(uow, clock.now),
    history: new HistoryService(uow),
    trash: new TrashService(uow, clock.now, trash),
  };
}
