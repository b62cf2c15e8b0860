const REPO = 'https://git.example.org/zephyr/zephyr/blob/main';

export default function SourceLink({ href, children }) {
  return <a href={REPO + href}>{children}</a>;
}
