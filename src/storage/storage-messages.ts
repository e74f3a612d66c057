import type { StorageTarget } from './storage-target';

type LogLang = 'fr' | 'en';

/**
 * The two operator lines are quoted verbatim by the deployment guide operators follow, so they
 * are French by default and must not be reworded (note the two spaces after the warning sign).
 */
export function diskInUseLine(file: string, lang: LogLang): string {
  return lang === 'en' ? `✅ Using the Render persistent disk: ${file}` : `✅ Utilisation du disque persistant Render: ${file}`;
}

export function diskMissingLine(lang: LogLang): string {
  return lang === 'en'
    ? '⚠️  Persistent disk not found. Data may be lost on redeploy.'
    : "⚠️  Disque persistant non trouvé. Les données peuvent être perdues lors d'un redéploiement.";
}

/** Lines printed once at start-up to say where the data lives. */
export function describeStorage(target: StorageTarget, lang: LogLang, onRender: boolean): string[] {
  switch (target.reason) {
    case 'database-url':
      return [lang === 'en' ? `🐘 PostgreSQL: ${target.location}` : `🐘 PostgreSQL : ${target.location}`];
    case 'persistent-disk':
      return [diskInUseLine(target.location, lang)];
    case 'sqlite-path':
      return target.persistent || !onRender ? [`SQLite: ${target.location}`] : [`SQLite: ${target.location}`, ...renderBanner(lang)];
    case 'local-fallback':
      return onRender ? renderBanner(lang) : [diskMissingLine(lang)];
  }
}

/** On Render a lost-data warning scrolls by among build lines; make it impossible to miss. */
function renderBanner(lang: LogLang): string[] {
  const rule = '!'.repeat(88);
  const advice =
    lang === 'en'
      ? '   Attach a disk mounted at /opt/render/project/persistent, or set DATABASE_URL.'
      : '   Ajoutez un disque monté sur /opt/render/project/persistent, ou définissez DATABASE_URL.';
  return [rule, diskMissingLine(lang), diskMissingLine(lang), diskMissingLine(lang), advice, rule];
}

/** Warnings carried by /health and `crm doctor` while the storage is not persistent. */
export function storageWarnings(target: StorageTarget, lang: LogLang): string[] {
  return target.persistent ? [] : [diskMissingLine(lang)];
}
