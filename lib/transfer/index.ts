export * from './rows';
export { parseCsv, writeCsv, detectSeparator, CsvError, guardFormula, unguardFormula } from './csv';
