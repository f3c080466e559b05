export { getExportsScreen, getExport, type ExportsScreen, type ExportJobView, type ImportJobView } from './queries';
export { requestExport } from './requestExport';
export { requestImport } from './requestImport';
export { cancelExport, cancelImport } from './cancel';
export { setExportSettings } from './settings';
export { exportDownloadLink } from './download';
export { setCover, removeCover, coverLink, type CoverView } from './cover';
