/** The Redis Cluster that `scripts/redis-cluster.sh run` started (REDIS_CLUSTER_NODES), for the cluster suites. */
export function requireClusterNodes(): Array<{ host: string; port: number }> {
  const nodes = process.env['REDIS_CLUSTER_NODES'];
  if (!nodes) throw new Error('REDIS_CLUSTER_NODES is not set: run the suite through scripts/redis-cluster.sh run');
  return nodes.split(',').map((node) => {
    const at = node.lastIndexOf(':');
    return { host: node.slice(0, at), port: Number(node.slice(at + 1)) };
  });
}
