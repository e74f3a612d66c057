// Opens a SQLite file the way a server does and keeps it open until killed.
import Sqlite from 'better-sqlite3';

const db = new Sqlite(process.argv[2] ?? '', { fileMustExist: true });
db.pragma('journal_mode = WAL');
process.stdout.write('holding\n');
setInterval(() => db.prepare('SELECT 1').get(), 1000);
