package io.lossprism.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Statements run on the store's connection, inside or outside a transaction. */
@FunctionalInterface
interface SqlWork<T> {

    T run(Connection connection) throws SQLException;
}
