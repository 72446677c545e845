// Jest global teardown: stops the redis-server the global setup started.
module.exports = async function globalTeardown() {
  const child = globalThis.__REDIS_SERVER__;
  if (child && child.exitCode === null) child.kill('SIGTERM');
};
