export * from './rows';
export { parseCsv, writeCsv, detectSeparator, CsvError } from './csv';
