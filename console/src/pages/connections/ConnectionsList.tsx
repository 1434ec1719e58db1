export function ConnectionsList() {
  return <p>ConnectionsList</p>;
}
