import express from 'express';
import request from 'supertest';
import { createLogger } from '../../src/lib/logger';
import { Prisma } from '../../src/lib/prisma';
import { errorHandler } from '../../src/middleware/error-handler';

const known = (code: string) =>
  new Prisma.PrismaClientKnownRequestError('database trouble', { code, clientVersion: '7.10.0' });
const pgError = (code: string) => Object.assign(new Error('server says no'), { code });
/** How Prisma's driver adapter wraps a pg error it has no own code for. */
const adapterError = (originalCode: string) =>
  Object.assign(new Error('driver adapter error'), {
    name: 'DriverAdapterError',
    cause: { kind: 'postgres', originalCode, originalMessage: 'terminating connection' },
  });

function appThrowing(error: unknown) {
  const app = express();
  app.get('/', () => {
    throw error;
  });
  app.use(errorHandler(createLogger({ level: 'silent', pretty: false, service: 'test' })));
  return app;
}

describe('database and connection failures are 503 SERVICE_UNAVAILABLE, never 500', () => {
  test.each([
    ['Prisma P1001 (unreachable)', known('P1001')],
    ['Prisma P1017 (server closed the connection)', known('P1017')],
    ['Prisma P2024 (pool timeout)', known('P2024')],
    ['Prisma P2028 (transaction API error)', known('P2028')],
    ['pg 57P01 (admin shutdown)', pgError('57P01')],
    ['pg 57P03 (cannot connect now)', pgError('57P03')],
    ['pg 08006 (connection failure)', pgError('08006')],
    ['pg 57014 (statement timeout)', pgError('57014')],
    ['driver adapter 57P01', adapterError('57P01')],
    ['driver ECONNRESET', pgError('ECONNRESET')],
    ['pg query_timeout', new Error('Query read timeout')],
    ['ioredis command timeout', new Error('Command timed out')],
  ])('%s', async (_name, error) => {
    const res = await request(appThrowing(error)).get('/');
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
    expect(res.body.message).not.toMatch(/trouble|server says|terminating|timeout|timed out/i);
  });

  test.each([
    ['a plain bug', new TypeError('x is undefined')],
    ['a deadlock (the caller retries it)', pgError('40P01')],
  ])('%s stays 500', async (_name, error) => {
    expect((await request(appThrowing(error)).get('/')).status).toBe(500);
  });
});
