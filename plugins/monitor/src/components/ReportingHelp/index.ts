export { ReportingHelp } from './ReportingHelp';
