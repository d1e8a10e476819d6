// libqp ships no type declarations; this is the part Gatehouse uses.
declare module 'libqp' {
  export function decode (input: string): Buffer
}
