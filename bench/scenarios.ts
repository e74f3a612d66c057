/**
 * The benchmark scenarios (docs/benchmarks.md describes them). Each one is a request factory:
 * autocannon asks for the next request on every call, so ids are drawn at random (seeded: the app
 * and its baseline get the same sequence) and every created client has a unique name.
 */
export type ScenarioId = 'S1' | 'S2' | 'S3' | 'S3n' | 'S4' | 'S5' | 'S6';

export interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

export interface Scenario {
  readonly id: ScenarioId;
  readonly title: string;
  /** Writes change the data: they run after the reads, and the database is restored per run. */
  readonly writes: boolean;
  /** S3n is S3 against servers opened with SQLITE_SYNCHRONOUS=NORMAL (SQLite only). */
  readonly synchronous: 'FULL' | 'NORMAL';
  /** A fresh request stream; call once per load run so each run replays the same sequence. */
  requests(clientIds: readonly string[], tag: string): () => BenchRequest;
}

const SEARCH_TERM = 'dupont';

const CLIENTS = '/api/v1/clients';

const listFirstPage = (): BenchRequest => ({ method: 'GET', path: `${CLIENTS}?limit=50` });
const search = (): BenchRequest => ({ method: 'GET', path: `${CLIENTS}?q=${SEARCH_TERM}&limit=20` });

function draws(clientIds: readonly string[]) {
  const random = mulberry32(42);
  return {
    random,
    id: () => clientIds[Math.floor(random() * clientIds.length)] as string,
  };
}

function createClient(tag: string) {
  let n = 0;
  return (): BenchRequest => {
    n += 1;
    return {
      method: 'POST',
      path: CLIENTS,
      body: JSON.stringify({ name: `Bench ${tag} ${n}`, email: `bench-${tag}-${n}@example.com`, company: 'Bench SARL', tags: ['bench'] }),
    };
  };
}

const createExchange = (clientId: string): BenchRequest => ({
  method: 'POST',
  path: `${CLIENTS}/${clientId}/exchanges`,
  body: JSON.stringify({ kind: 'call', direction: 'outbound', subject: 'Bench follow-up call', body: 'Called about the renewal.' }),
});

export const SCENARIOS: readonly Scenario[] = [
  { id: 'S1', title: 'first page of clients (limit 50)', writes: false, synchronous: 'FULL', requests: () => listFirstPage },
  {
    id: 'S2',
    title: 'one client by random id',
    writes: false,
    synchronous: 'FULL',
    requests: (ids) => {
      const draw = draws(ids);
      return () => ({ method: 'GET', path: `${CLIENTS}/${draw.id()}` });
    },
  },
  {
    id: 'S4',
    title: "a random client's timeline (limit 20)",
    writes: false,
    synchronous: 'FULL',
    requests: (ids) => {
      const draw = draws(ids);
      return () => ({ method: 'GET', path: `${CLIENTS}/${draw.id()}/exchanges?limit=20` });
    },
  },
  { id: 'S5', title: `search q=${SEARCH_TERM} (limit 20)`, writes: false, synchronous: 'FULL', requests: () => search },
  { id: 'S3', title: 'create a client (synchronous=FULL)', writes: true, synchronous: 'FULL', requests: (_ids, tag) => createClient(tag) },
  {
    id: 'S6',
    title: 'mix: 40% S2, 40% S4, 10% S3, 10% create exchange',
    writes: true,
    synchronous: 'FULL',
    requests: (ids, tag) => {
      const draw = draws(ids);
      const create = createClient(tag);
      return () => {
        const roll = draw.random();
        if (roll < 0.4) return { method: 'GET', path: `${CLIENTS}/${draw.id()}` };
        if (roll < 0.8) return { method: 'GET', path: `${CLIENTS}/${draw.id()}/exchanges?limit=20` };
        if (roll < 0.9) return create();
        return createExchange(draw.id());
      };
    },
  },
  {
    id: 'S3n',
    title: 'create a client (synchronous=NORMAL)',
    writes: true,
    synchronous: 'NORMAL',
    requests: (_ids, tag) => createClient(tag),
  },
];

/** The same small seeded generator the temporary seeder uses: reproducible request streams. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
