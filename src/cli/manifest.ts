import { Command } from 'commander';
import { mergeManifests } from '../pipeline/merge-manifests.js';

export function manifestCommand(): Command {
  return new Command('manifest').description('work with run manifests').addCommand(
    new Command('merge')
      .description('combine the manifests of an array job\'s tasks (<dir>/manifests/task-I-of-N.json) into <dir>/manifest.json')
      .argument('<dir>', 'the output directory the tasks shared')
      .action(async (dir: string) => {
        const { path, tasks } = await mergeManifests(dir);
        process.stderr.write(`merged ${tasks} task manifests → ${path}\n`);
      }),
  );
}
