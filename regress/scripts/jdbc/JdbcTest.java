// JdbcTest: pgjdbc (Debian's libpostgresql-jdbc-java) against a live laminard.
// Compiled and run by regress/scripts/jdbc.sh: java JdbcTest PORT; prints TAP lines
// ("ok N - ..."; the wrapper adds its own checks and the plan).
//
// Covers: connection and DatabaseMetaData product/version; PreparedStatement
// INSERT and SELECT each reused 12 times (pgjdbc switches to a named
// server-prepared statement after prepareThreshold = 5 uses, and then to
// binary transfer of results) with setInt/setLong/setString/setTimestamp/
// setBigDecimal/setBoolean/setDate/setNull; a connection with
// prepareThreshold=-1 (server-prepared and binary from the first use);
// batches; transactions (commit, rollback, savepoints); SQLSTATEs 23505 and
// 25P02; DatabaseMetaData getTables/getColumns/getPrimaryKeys and
// ResultSetMetaData (which make pgjdbc query pg_catalog).
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

public class JdbcTest {
    private static int n = 0;
    private static int failed = 0;

    interface Check {
        String run() throws Exception; // null when it passed, else what went wrong
    }

    static void check(String desc, Check c) {
        String why;
        try {
            why = c.run();
        } catch (Exception e) {
            why = e.getClass().getSimpleName() + ": " + e.getMessage()
                    + (e instanceof SQLException ? " [SQLSTATE " + ((SQLException) e).getSQLState() + "]" : "");
        }
        n++;
        if (why == null) {
            System.out.println("ok " + n + " - " + desc);
        } else {
            failed++;
            System.out.println("not ok " + n + " - " + desc);
            for (String line : why.split("\n")) {
                System.out.println("#   " + line);
            }
        }
        System.out.flush();
    }

    static Connection connect(String port, String extra) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "laminar");
        p.setProperty("connectTimeout", "10");
        p.setProperty("socketTimeout", "60");
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/laminar" + extra;
        return DriverManager.getConnection(url, p);
    }

    static boolean serverPrepared(PreparedStatement ps) throws SQLException {
        return ps.unwrap(org.postgresql.PGStatement.class).isUseServerPrepare();
    }

    public static void main(String[] args) throws Exception {
        final String port = args[0];
        final Connection[] cc = new Connection[1];
        final Timestamp ts = Timestamp.valueOf("2024-03-15 10:20:30.123456");

        check("connects; DatabaseMetaData reports PostgreSQL 15", () -> {
            cc[0] = connect(port, "");
            DatabaseMetaData md = cc[0].getMetaData();
            if (!md.getDatabaseProductName().equals("PostgreSQL") || md.getDatabaseMajorVersion() != 15)
                return "product " + md.getDatabaseProductName() + " " + md.getDatabaseProductVersion();
            return null;
        });
        if (cc[0] == null) {
            System.exit(1);
        }
        final Connection c = cc[0];

        check("CREATE TABLE through Statement", () -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE jdbc_items (id int PRIMARY KEY, name varchar(50) NOT NULL, "
                        + "price numeric(12, 4), seen timestamp, day date, big bigint, ok boolean, ratio double precision)");
            }
            return null;
        });

        check("PreparedStatement INSERT reused 12 times (server-prepared after 5), all setters", () -> {
            boolean prepared = false;
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO jdbc_items (id, name, price, seen, day, big, ok, ratio) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (int i = 1; i <= 12; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "item '" + i + "' ünï");
                    ps.setBigDecimal(3, new BigDecimal("1234.5678").multiply(BigDecimal.valueOf(i)));
                    ps.setTimestamp(4, new Timestamp(ts.getTime() + i * 1000L));
                    ps.setDate(5, Date.valueOf("2024-02-" + (10 + i)));
                    ps.setLong(6, 9007199254740993L + i);
                    if (i % 3 == 0) ps.setNull(7, Types.BOOLEAN); else ps.setBoolean(7, i % 2 == 0);
                    ps.setDouble(8, i / 8.0);
                    if (ps.executeUpdate() != 1) return "executeUpdate != 1 at " + i;
                    if (i == 12) prepared = serverPrepared(ps);
                }
            }
            return prepared ? null : "pgjdbc did not switch to a server-prepared statement";
        });

        check("PreparedStatement SELECT reused 12 times: values round-trip (text, then binary)", () -> {
            StringBuilder bad = new StringBuilder();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, name, price, seen, day, big, ok, ratio FROM jdbc_items WHERE id = ?")) {
                for (int round = 0; round < 12; round++) {
                    int i = round + 1;
                    ps.setInt(1, i);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) { bad.append("no row for ").append(i).append('\n'); continue; }
                        BigDecimal wantPrice = new BigDecimal("1234.5678").multiply(BigDecimal.valueOf(i));
                        if (rs.getInt(1) != i) bad.append("id ").append(rs.getInt(1)).append('\n');
                        if (!rs.getString(2).equals("item '" + i + "' ünï")) bad.append("name ").append(rs.getString(2)).append('\n');
                        if (rs.getBigDecimal(3).compareTo(wantPrice) != 0) bad.append("price ").append(rs.getBigDecimal(3)).append('\n');
                        if (!rs.getTimestamp(4).equals(new Timestamp(ts.getTime() + i * 1000L)))
                            bad.append("seen ").append(rs.getTimestamp(4)).append('\n');
                        if (!rs.getDate(5).toString().equals("2024-02-" + (10 + i))) bad.append("day ").append(rs.getDate(5)).append('\n');
                        if (rs.getLong(6) != 9007199254740993L + i) bad.append("big ").append(rs.getLong(6)).append('\n');
                        boolean okv = rs.getBoolean(7);
                        if (i % 3 == 0 ? !rs.wasNull() : okv != (i % 2 == 0)) bad.append("ok ").append(okv).append('\n');
                        if (rs.getDouble(8) != i / 8.0) bad.append("ratio ").append(rs.getDouble(8)).append('\n');
                    }
                }
                if (!serverPrepared(ps)) bad.append("not server-prepared after 12 uses\n");
            }
            return bad.length() == 0 ? null : bad.toString();
        });

        check("prepareThreshold=-1: server-prepared and binary from the first execution", () -> {
            try (Connection b = connect(port, "?prepareThreshold=-1&binaryTransfer=true");
                 PreparedStatement ps = b.prepareStatement(
                         "SELECT id, price, seen, big, ratio, name FROM jdbc_items WHERE id BETWEEN ? AND ? ORDER BY id")) {
                StringBuilder bad = new StringBuilder();
                for (int round = 0; round < 7; round++) {
                    ps.setInt(1, 1);
                    ps.setInt(2, 3);
                    int rows = 0;
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            rows++;
                            if (rs.getInt(1) != rows) bad.append("id ").append(rs.getInt(1)).append('\n');
                            if (rs.getLong(4) != 9007199254740993L + rows) bad.append("big ").append(rs.getLong(4)).append('\n');
                            if (!rs.getTimestamp(3).equals(new Timestamp(ts.getTime() + rows * 1000L)))
                                bad.append("seen ").append(rs.getTimestamp(3)).append('\n');
                            if (rs.getBigDecimal(2).compareTo(new BigDecimal("1234.5678").multiply(BigDecimal.valueOf(rows))) != 0)
                                bad.append("price ").append(rs.getBigDecimal(2)).append('\n');
                        }
                    }
                    if (rows != 3) bad.append("round ").append(round).append(": ").append(rows).append(" rows\n");
                }
                if (!serverPrepared(ps)) bad.append("not server-prepared\n");
                return bad.length() == 0 ? null : bad.toString();
            }
        });

        check("batch of 20 INSERTs (addBatch/executeBatch)", () -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO jdbc_items (id, name) VALUES (?, ?)")) {
                for (int i = 100; i < 120; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "batch " + i);
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                int sum = 0;
                for (int x : counts) sum += (x == Statement.SUCCESS_NO_INFO ? 1 : x);
                if (sum != 20) return "update counts sum to " + sum;
            }
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM jdbc_items WHERE name LIKE 'batch %'")) {
                rs.next();
                return rs.getLong(1) == 20 ? null : "count " + rs.getLong(1);
            }
        });

        check("transactions: rollback discards, commit keeps, savepoint rollback", () -> {
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO jdbc_items (id, name) VALUES (300, 'original')");
            }
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO jdbc_items (id, name) VALUES (200, 'rolled back')");
                st.executeUpdate("UPDATE jdbc_items SET name = 'changed' WHERE id = 300");
                c.rollback();
                st.executeUpdate("INSERT INTO jdbc_items (id, name) VALUES (201, 'committed')");
                Savepoint sp = c.setSavepoint();
                st.executeUpdate("INSERT INTO jdbc_items (id, name) VALUES (202, 'savepoint rolled back')");
                c.rollback(sp);
                st.executeUpdate("INSERT INTO jdbc_items (id, name) VALUES (203, 'after savepoint')");
                c.commit();
                c.setAutoCommit(true);
                List<Integer> ids = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT id FROM jdbc_items WHERE id BETWEEN 200 AND 299 ORDER BY id")) {
                    while (rs.next()) ids.add(rs.getInt(1));
                }
                String name300 = null;
                try (ResultSet rs = st.executeQuery("SELECT name FROM jdbc_items WHERE id = 300")) {
                    if (rs.next()) name300 = rs.getString(1);
                }
                if (!ids.toString().equals("[201, 203]") || !"original".equals(name300))
                    return "ids " + ids + ", name of 300: " + name300;
                return null;
            } finally {
                c.setAutoCommit(true);
            }
        });

        check("duplicate key gives 23505; the failed transaction gives 25P02", () -> {
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO jdbc_items (id, name) VALUES (400, 'first')");
            }
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                String first = null, second = null;
                try {
                    st.executeUpdate("INSERT INTO jdbc_items (id, name) VALUES (400, 'dup')");
                } catch (SQLException e) {
                    first = e.getSQLState();
                }
                try {
                    st.executeQuery("SELECT 1").close();
                } catch (SQLException e) {
                    second = e.getSQLState();
                }
                c.rollback();
                return "23505".equals(first) && "25P02".equals(second) ? null : "got " + first + ", " + second;
            } finally {
                c.setAutoCommit(true);
            }
        });

        check("DatabaseMetaData.getTables lists the table", () -> {
            List<String> names = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"})) {
                while (rs.next()) names.add(rs.getString("TABLE_NAME") + ":" + rs.getString("TABLE_TYPE"));
            }
            return names.contains("jdbc_items:TABLE") ? null : "got " + names;
        });

        check("DatabaseMetaData.getColumns: names, JDBC types, sizes, nullability", () -> {
            StringBuilder got = new StringBuilder();
            try (ResultSet rs = c.getMetaData().getColumns(null, "public", "jdbc_items", "%")) {
                while (rs.next()) {
                    got.append(rs.getString("COLUMN_NAME")).append(' ').append(rs.getInt("DATA_TYPE")).append(' ')
                            .append(rs.getString("TYPE_NAME")).append(' ').append(rs.getInt("COLUMN_SIZE")).append(' ')
                            .append(rs.getInt("NULLABLE")).append('\n');
                }
            }
            String want = "id 4 int4 10 0\n" + "name 12 varchar 50 0\n" + "price 2 numeric 12 1\n"
                    + "seen 93 timestamp 29 1\n" + "day 91 date 13 1\n" + "big -5 int8 19 1\n"
                    + "ok -7 bool 1 1\n" + "ratio 8 float8 17 1\n";
            return got.toString().equals(want) ? null : "got:\n" + got + "want:\n" + want;
        });

        check("DatabaseMetaData.getPrimaryKeys", () -> {
            StringBuilder got = new StringBuilder();
            try (ResultSet rs = c.getMetaData().getPrimaryKeys(null, "public", "jdbc_items")) {
                while (rs.next()) got.append(rs.getString("COLUMN_NAME")).append(':').append(rs.getInt("KEY_SEQ"));
            }
            return got.toString().equals("id:1") ? null : "got " + got;
        });

        check("ResultSetMetaData: column types, isNullable from the catalog", () -> {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT id, name, price, ok FROM jdbc_items WHERE false")) {
                ResultSetMetaData md = rs.getMetaData();
                String got = md.getColumnTypeName(1) + " " + md.getColumnTypeName(2) + " " + md.getColumnTypeName(3)
                        + " " + md.getColumnTypeName(4) + " " + md.isNullable(1) + " " + md.isNullable(3)
                        + " " + md.getTableName(1);
                String want = "int4 varchar numeric bool " + ResultSetMetaData.columnNoNulls + " "
                        + ResultSetMetaData.columnNullable + " jdbc_items";
                return got.equals(want) ? null : "got " + got + ", want " + want;
            }
        });

        check("parameter type errors come back with a SQLSTATE (22P02)", () -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM jdbc_items WHERE id = ?::int")) {
                ps.setString(1, "not a number");
                ps.executeQuery().close();
                return "no error";
            } catch (SQLException e) {
                return "22P02".equals(e.getSQLState()) ? null : "SQLSTATE " + e.getSQLState();
            }
        });

        check("connection closes cleanly", () -> {
            c.close();
            return null;
        });
        System.exit(failed == 0 ? 0 : 1); // the wrapper prints the plan
    }
}
