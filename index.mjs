// ESM entry: the same module as the CommonJS entry (one copy of the addon and its state).
import cjs from './index.js'

export const {
  AerospikeError,
  AerospikeRecord,
  Client,
  Double,
  GeoJSON,
  Key,
  Record,
  STATUS_TABLE,
  batchType,
  setLogHandler,
  log,
  IndexJob,
  Query,
  RecordStream,
  Scan,
  filter,
  indexDataType,
  indexType,
  client,
  connect,
  operations,
  policy,
  startCluster,
  startServer,
  status,
  ttl,
} = cjs
export default cjs
