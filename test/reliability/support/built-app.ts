import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../support/spawn-app';

/** Compiles the app the way `npm run build` does, into a temp folder (dist/ is left alone). */
export function buildApp(): string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-build-'));
  execFileSync(
    process.execPath,
    [path.join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', path.join(out, 'dist')],
    {
      cwd: PROJECT_ROOT,
      stdio: 'pipe',
    },
  );
  return out;
}

/**
 * One "deploy": what a Render build leaves in a fresh app folder (dist/, config/,
 * package.json; node_modules linked rather than reinstalled to stay fast).
 */
export function deployTo(build: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-deploy-'));
  fs.cpSync(path.join(build, 'dist'), path.join(dir, 'dist'), { recursive: true });
  fs.cpSync(path.join(PROJECT_ROOT, 'config'), path.join(dir, 'config'), { recursive: true });
  fs.copyFileSync(path.join(PROJECT_ROOT, 'package.json'), path.join(dir, 'package.json'));
  fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

interface BuiltProcess {
  output(): string;
  exited: Promise<number | string>;
  stop(): Promise<number | string>;
  baseUrl: Promise<string>;
}

/** `node dist/src/main.js` in the deploy folder, as `npm start` runs it (no TypeScript loader). */
export function startBuilt(dir: string, env: Record<string, string>): BuiltProcess {
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const baseUrl = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const line = /^.*"msg":"listening".*$/m.exec(text)?.[0];
      const port = line ? /"port":(\d+)/.exec(line)?.[1] : undefined;
      if (port) resolve(`http://127.0.0.1:${port}`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`exited ${code} before listening:\n${text}`)));
  });
  baseUrl.catch(() => undefined);
  return {
    output: () => text,
    exited,
    baseUrl,
    stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
