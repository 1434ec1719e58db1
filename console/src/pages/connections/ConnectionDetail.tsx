export function ConnectionDetail() {
  return <p>ConnectionDetail</p>;
}
