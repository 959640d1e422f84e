import { CompiledQuery, type Driver, SqliteDialect } from 'kysely';

/**
 * SQLite transactions start with `begin immediate`: they take the write lock first, so another process's writer waits
 * (busy_timeout) instead of this transaction failing. A deferred `begin` that reads first and then writes fails at once
 * with SQLITE_BUSY when another process committed in between (its snapshot is stale, and waiting cannot help): with two
 * servers on one file, a refund authorization answered 500. In one process nothing changes (Kysely runs one
 * transaction at a time on its one connection).
 */
export class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    return driver;
  }
}
