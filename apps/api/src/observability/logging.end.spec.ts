import { Module } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { destination } from 'pino';
import { appWithLogging } from '../testing/logging-app';
import { endNestLogs } from './logging.module';

@Module({})
class EmptyModule {}

describe('endNestLogs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiny-chat-logs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('resolves once every line logged before it is in the file, the last one last', async () => {
    const file = join(dir, 'nest.log');
    // An asynchronous destination, like pino's default for stdout.
    const stream = destination({ dest: file, sync: false, mkdir: true });
    const app = await appWithLogging(EmptyModule, stream);
    await app.init();
    const logger = app.get(Logger);
    for (let n = 1; n <= 2000; n++) logger.log({ msg: `line ${n}`, padding: 'x'.repeat(200) }, 'Probe');
    logger.log('stopped', 'Main');
    await endNestLogs(app, 5000);
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string; context?: string })
      .filter((line) => line.context === 'Probe' || line.context === 'Main');
    expect(lines).toHaveLength(2001);
    expect(lines[1999]?.msg).toBe('line 2000');
    expect(lines[2000]).toMatchObject({ msg: 'stopped', context: 'Main' });
    await app.close();
  });
});
