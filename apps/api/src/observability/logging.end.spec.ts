import { linesLeftAtExit } from '../testing/logging-app';

describe('endNestLogs', () => {
  it('resolves once every line logged before it is in the file, the last one last', async () => {
    const lines = await linesLeftAtExit({});
    expect(lines).toHaveLength(2001);
    expect(lines[1999]?.msg).toBe('line 2000');
    expect(lines[2000]).toMatchObject({ msg: 'stopped', context: 'Main' });
  });
});
