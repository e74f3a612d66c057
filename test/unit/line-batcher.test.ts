import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LineBatcher, type FlushableStream } from '../../src/logging/line-batcher';

function recordingTarget(): FlushableStream & { writes: string[]; syncFlushes: number } {
  const target = {
    writes: [] as string[],
    syncFlushes: 0,
    write(chunk: string) {
      target.writes.push(chunk);
    },
    flushSync() {
      target.syncFlushes += 1;
    },
  };
  return target;
}

describe('LineBatcher', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('holds lines, then writes them in order as one chunk once 128 have gathered', () => {
    const target = recordingTarget();
    const batcher = new LineBatcher(target);
    const line = (i: number) => `{"n":${i},"pad":"${'x'.repeat(100)}"}\n`;
    let i = 0;
    while (target.writes.length === 0) batcher.write(line(i++));
    expect(i).toBe(128);
    expect(target.writes).toEqual([Array.from({ length: i }, (_, k) => line(k)).join('')]);
    batcher.close();
  });

  it('formats records only when it writes them, in order', () => {
    const target = recordingTarget();
    const formatted: number[] = [];
    const batcher = new LineBatcher<{ n: number }>(target, undefined, (record) => {
      formatted.push(record.n);
      return `${record.n}\n`;
    });
    batcher.write({ n: 1 });
    batcher.write({ n: 2 });
    expect(formatted).toEqual([]);
    jest.advanceTimersByTime(1000);
    expect(formatted).toEqual([1, 2]);
    expect(target.writes).toEqual(['1\n2\n']);
    batcher.close();
  });

  it('writes what it holds within a second when traffic is light', () => {
    const target = recordingTarget();
    const batcher = new LineBatcher(target);
    batcher.write('one\n');
    batcher.write('two\n');
    expect(target.writes).toEqual([]);
    jest.advanceTimersByTime(1000);
    expect(target.writes).toEqual(['one\ntwo\n']);
    jest.advanceTimersByTime(5000);
    expect(target.writes).toHaveLength(1);
    batcher.close();
  });

  it('on close flushes the target, then writes the rest through it and flushes again', () => {
    const target = recordingTarget();
    const batcher = new LineBatcher(target);
    batcher.write('last words\n');
    batcher.close();
    expect(target.writes).toEqual(['last words\n']);
    expect(target.syncFlushes).toBe(2);
  });

  it('with a file descriptor, writes the rest to it synchronously on close (an async write would never land at exit)', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'crm-batcher-')), 'out.log');
    const fd = fs.openSync(file, 'w');
    try {
      const target = recordingTarget();
      const batcher = new LineBatcher(target, fd);
      batcher.write('é one\n');
      batcher.write('two\n');
      batcher.close();
      expect(target.writes).toEqual([]);
      expect(target.syncFlushes).toBe(1);
      expect(fs.readFileSync(file, 'utf8')).toBe('é one\ntwo\n');
    } finally {
      fs.closeSync(fd);
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });
});
