export function Library() {
  return <p>Library</p>;
}
