import type { Redis } from '../../src/lib/redis';

type SendCommand = Redis['sendCommand'];
type SentCommand = Parameters<SendCommand>[0];

/**
 * Counts what a connection sends (a spy on our own client, the server is real): `direct` commands cost one round
 * trip each, a pipeline costs one round trip for all its commands.
 */
export function watchRedisCommands(redis: Redis) {
  const sent: Array<{ command: SentCommand; pipelined: boolean }> = [];
  const original = redis.sendCommand.bind(redis);
  const spy = jest.spyOn(redis, 'sendCommand').mockImplementation(((command, stream) => {
    sent.push({ command, pipelined: (stream as { isPipeline?: boolean } | undefined)?.isPipeline === true });
    return original(command, stream);
  }) as SendCommand);
  const pipelines = jest.spyOn(redis, 'pipeline');
  return {
    /** Round trips since the last call, and the commands they carried. */
    take(filter: (command: SentCommand) => boolean = () => true) {
      const mine = sent.filter(({ command }) => filter(command));
      const result = {
        direct: mine.filter(({ pipelined }) => !pipelined).length,
        pipelined: mine.filter(({ pipelined }) => pipelined).length,
        pipelines: pipelines.mock.calls.length,
      };
      sent.length = 0;
      pipelines.mockClear();
      return result;
    },
    /** The names of the commands sent since the last call, in order. */
    takeNames(filter: (command: SentCommand) => boolean = () => true): string[] {
      const names = sent.filter(({ command }) => filter(command)).map(({ command }) => command.name);
      sent.length = 0;
      pipelines.mockClear();
      return names;
    },
    restore() {
      spy.mockRestore();
      pipelines.mockRestore();
    },
  };
}
