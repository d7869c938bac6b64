/** "480 KB", "3.4 MB", "12 GB": one decimal below 10 units, whole units above. */
export function formatBytes(bytes: number): string {
    const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit++;
    }
    const text = value < 10 && unit > 0 ? value.toFixed(1).replace(/\.0$/, '') : Math.round(value).toLocaleString('en-US');
    return `${text} ${units[unit]}`;
}
