export function Registry() {
  return <p>Registry</p>;
}
