// opencc-js ships its dictionaries as modules without typings: each default export is "from to|from to|…".
declare module 'opencc-js/dict/TSCharacters' {
  const pairs: string;
  export default pairs;
}
