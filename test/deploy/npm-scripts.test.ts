import fs from 'node:fs';
import path from 'node:path';
import {
  instructionCommand,
  npmScriptsCalled,
  packageScripts,
  parseDockerfile,
  readBlueprint,
  readRepoFile,
  readYaml,
  REPO_ROOT,
  type ComposeFile,
} from './deploy-files';

/** Every command line the deployment files run, labelled by where it comes from. */
function deploymentCommands(): Array<[string, string]> {
  const commands: Array<[string, string]> = [];
  for (const file of ['render.yaml', 'render.postgres.yaml']) {
    for (const service of readBlueprint(file).services) {
      for (const key of ['buildCommand', 'preDeployCommand', 'startCommand'] as const) {
        if (service[key]) commands.push([`${file} ${service.name}.${key}`, service[key]!]);
      }
    }
  }
  for (const [index, stage] of parseDockerfile(readRepoFile('Dockerfile')).entries()) {
    for (const { op, args } of stage.instructions) {
      if (['RUN', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK'].includes(op)) {
        commands.push([`Dockerfile stage ${index} ${op}`, instructionCommand(args.replace(/^(--\S+\s+)*CMD\s+/, ''))]);
      }
    }
  }
  for (const [name, service] of Object.entries(readYaml<ComposeFile>('docker-compose.yml').services)) {
    for (const command of [service.command, service.healthcheck?.test]) {
      if (command) commands.push([`docker-compose.yml ${name}`, [command].flat().join(' ')]);
    }
  }
  return commands;
}

describe('commands in the deployment files', () => {
  const scripts = packageScripts();
  const commands = deploymentCommands();

  it('finds the commands to check', () => {
    expect(commands.length).toBeGreaterThan(5);
    expect(commands.flatMap(([, command]) => npmScriptsCalled(command))).toEqual(expect.arrayContaining(['build', 'migrate']));
  });

  it.each(commands)('%s calls only npm scripts that exist: %s', (_where, command) => {
    for (const script of npmScriptsCalled(command)) expect(Object.keys(scripts)).toContain(script);
  });

  it.each(commands)('%s runs only compiled entry points with a source file: %s', (_where, command) => {
    // dist/<x>.js is compiled from <x>.ts (tsc rootDir ".").
    for (const match of command.matchAll(/\bdist\/(\S+)\.js\b/g)) {
      expect(fs.existsSync(path.join(REPO_ROOT, `${match[1]}.ts`))).toBe(true);
    }
  });

  it('the migrate script runs the crm command, which takes "up"', () => {
    expect(scripts.migrate).toMatch(/crm\.js migrate$/);
    expect(fs.existsSync(path.join(REPO_ROOT, 'src', 'cli', 'crm.ts'))).toBe(true);
  });
});
