// The dashboard slug matches Grafana's pkg/infra/slugify, test vectors included.
import t from 'tap'
import { slugify } from '../../plugins/dashboards/slugify.js'

t.test('Grafana\'s slugify test vectors', async t => {
  const vectors: Array<[string, string]> = [
    ['Hello, playground', 'hello-playground'],
    ['😢 😣 😤 😥 😦 😧 😨 😩 😪 😫 😬 Hello, it\'s paradise', 'hello-it-s-paradise'],
    ['😢 😣 😤 😥 😦 😧 😨 😩 😪 😫 😬', '61db60b5-f1e7-5853-9b81-0f074fc268ea'],
    ['😢 -', '8J-YoiAt'],
    ['?,a . \n ', 'a'],
    ['', '0a68eb57-c88a-5f34-9e9d-27f85e68af4f'],
    ['方向盤後面 hi this is a test خلف المقو', 'hi-this-is-a-test'],
    ['Cộng hòa xã hội chủ nghĩa Việt Nam', 'cong-hoa-xa-hoi-chu-nghia-viet-nam'],
    ['Nỗi nàng canh cánh bên lòng biếng khuây', 'noi-nang-canh-canh-ben-long-bieng-khuay']
  ]
  for (const [title, slug] of vectors) t.equal(slugify(title), slug, JSON.stringify(title))
})

t.test('common titles', async t => {
  t.equal(slugify('Production Overview'), 'production-overview')
  t.equal(slugify('CPU & Memory @ Edge'), 'cpu-and-memory-at-edge')
  t.equal(slugify('  Größe / Straße  '), 'grosse-strasse')
  t.equal(slugify('Привет мир'), 'privet-mir')
  t.equal(slugify('snake_case--dashes'), 'snake-case-dashes')
})
