import fs from 'node:fs';
import path from 'node:path';
import { configSchema } from '../../src/config/schema';
import {
  instructionCommand,
  NODE_MAJOR,
  parseDockerfile,
  readBlueprint,
  readRepoFile,
  REPO_ROOT,
  webService,
  type Stage,
} from './deploy-files';

const stages = parseDockerfile(readRepoFile('Dockerfile'));
const finalStage = stages.at(-1)!;
const ignored = readRepoFile('.dockerignore')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));

function ops(stage: Stage, op: string): string[] {
  return stage.instructions.filter((instruction) => instruction.op === op).map((instruction) => instruction.args);
}

function runs(stage: Stage): string[] {
  return ops(stage, 'RUN').map(instructionCommand);
}

/** An npm install step that would bring devDependencies (no --omit=dev, no production flag). */
function installsDevDependencies(command: string): boolean {
  return /\bnpm\s+(ci|install|i)\b/.test(command) && !/--omit[= ]dev|--production\b|--only[= ]prod/.test(command);
}

describe('Dockerfile', () => {
  it('is multi-stage on the pinned Node major, slim images', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages.filter((s) => !stages.some((other) => other.name === s.from))) {
      expect(stage.from).toBe(`node:${NODE_MAJOR}-slim`);
    }
  });

  it('builds with npm ci and the build script, then prunes dev dependencies in the same stage', () => {
    const builder = stages.find((stage) => runs(stage).some((command) => /\bnpm run build\b/.test(command)));
    expect(builder).toBeDefined();
    const commands = runs(builder!).join(' && ');
    expect(commands).toMatch(/\bnpm ci\b/);
    // Prune after the build: TypeScript is needed by the build, never by the image.
    expect(commands.indexOf('npm prune --omit=dev')).toBeGreaterThan(commands.indexOf('npm run build'));
  });

  it('ships no devDependencies: node_modules comes from the pruned stage, nothing installs dev packages', () => {
    for (const command of runs(finalStage)) expect(installsDevDependencies(command)).toBe(false);
    const modules = ops(finalStage, 'COPY').find((args) => /node_modules/.test(args));
    expect(modules).toMatch(/--from=(\S+)/);
    const source = stages.find((stage) => stage.name === /--from=(\S+)/.exec(modules!)![1]);
    expect(runs(source!).join(' ')).toMatch(/npm prune --omit=dev/);
  });

  it('runs as a non-root user', () => {
    const user = ops(finalStage, 'USER').at(-1);
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user!.trim());
  });

  it('creates the persistent disk path owned by that user, so an empty volume mounted there is writable', () => {
    const disk = configSchema.database.persistentDiskPath.default;
    const user = ops(finalStage, 'USER').at(-1)!.trim();
    const setup = runs(finalStage).find((command) => command.includes(`mkdir -p ${disk}`));
    expect(setup).toBeDefined();
    expect(setup).toMatch(new RegExp(`chown\\s+(-R\\s+)?${user}(:${user})?\\s.*${disk}`));
  });

  it('checks health on the path Render checks, on $PORT', () => {
    const healthcheck = ops(finalStage, 'HEALTHCHECK').join(' ');
    expect(healthcheck).toContain(webService(readBlueprint('render.yaml')).healthCheckPath);
    expect(healthcheck).toMatch(/PORT/);
  });

  it('exposes the default port and starts the compiled server like Render does', () => {
    expect(ops(finalStage, 'EXPOSE')).toContain(String(configSchema.server.port.default));
    const cmd = ops(finalStage, 'CMD').at(-1)!;
    expect(cmd.trim().startsWith('[')).toBe(true); // exec form: node receives SIGTERM itself
    expect(instructionCommand(cmd)).toBe(webService(readBlueprint('render.yaml')).startCommand);
    expect(ops(finalStage, 'ENV').join(' ')).toMatch(/NODE_ENV=production/);
  });

  it('bakes no secret into any stage', () => {
    for (const stage of stages) {
      for (const args of [...ops(stage, 'ENV'), ...ops(stage, 'ARG')]) {
        expect(args).not.toMatch(/API_KEYS|DATABASE_URL|PASSWORD|SECRET|TOKEN/i);
      }
    }
  });

  it('copies sources that exist and that .dockerignore does not exclude', () => {
    for (const stage of stages) {
      for (const args of ops(stage, 'COPY').filter((copy) => !copy.includes('--from='))) {
        const sources = args
          .split(/\s+/)
          .filter((part) => !part.startsWith('--'))
          .slice(0, -1);
        for (const source of sources) {
          expect(fs.existsSync(path.join(REPO_ROOT, source))).toBe(true);
          expect(ignored).not.toContain(source);
        }
      }
    }
  });
});

describe('.dockerignore', () => {
  it.each(['.git', 'node_modules', 'dist', 'coverage', 'data', '.env'])('keeps %s out of the build context', (entry) => {
    expect(ignored).toContain(entry);
  });

  it('keeps database files out, wherever they are', () => {
    expect(ignored.some((pattern) => /^(\*\*\/)?\*\.db\*?$/.test(pattern))).toBe(true);
  });

  it('keeps what the build needs', () => {
    for (const needed of ['package.json', 'package-lock.json', 'src', 'migrations', 'config']) expect(ignored).not.toContain(needed);
  });
});
