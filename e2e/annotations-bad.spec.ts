// A refused annotation file (invalid geometry) names the feature and the reason, and leaves the
// annotations loaded before — their summary and the coverage filter's effect on the plan — as they were.
// Every refusal names the annotation file (never the slide), its likely cause and what to do.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CMU, counts, expect, expectTotal, openApp, openWithPicker, shot, test, waitForSlide } from './helpers.ts';

const box = (x0: number, y0: number, x1: number, y1: number) => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
const feature = (name: string, cls: string, ring: number[][]) => ({
  type: 'Feature',
  id: `id-${name}`,
  geometry: { type: 'Polygon', coordinates: [ring] },
  properties: { objectType: 'annotation', name, classification: { name: cls, color: [200, 0, 0] } },
});

let dir = '';
test.beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'slidetile-annotations-'));
  // CMU-1-Small-Region is 2220 × 2967 px: 30 tiles of 512² (the last column shifted to x = 1708); the
  // good set covers x < 2048, y < 1024: 10 tiles at coverage ≥ 0.5, 4 of them Tumor
  writeFileSync(path.join(dir, 'good.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [feature('tumour core', 'Tumor', box(0, 0, 1024, 1024)), feature('stroma band', 'Stroma', box(1024, 0, 2048, 1024))] }));
  // second feature is a bow-tie: its two lobes would cancel in a shoelace area
  writeFileSync(path.join(dir, 'bowtie.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [feature('fine', 'Tumor', box(0, 0, 512, 512)), feature('twisted', 'Tumor', [[0, 0], [2000, 2000], [2000, 0], [0, 2000], [0, 0]])] }));
  writeFileSync(
    path.join(dir, 'short.xml'),
    '<?xml version="1.0"?>\n<ASAP_Annotations>\n<Annotations>\n<Annotation Name="nick" Type="Polygon" PartOfGroup="Tumor">\n<Coordinates>\n<Coordinate Order="0" X="10" Y="10"/>\n<Coordinate Order="1" X="20" Y="20"/>\n</Coordinates>\n</Annotation>\n</Annotations>\n</ASAP_Annotations>\n',
  );
  // entity expansion ("billion laughs"): entities are declared in a DOCTYPE and used on line 13
  writeFileSync(
    path.join(dir, 'laughs.xml'),
    [
      '<?xml version="1.0"?>',
      '<!DOCTYPE ASAP_Annotations [',
      '  <!ENTITY lol "lol">',
      '  <!ENTITY lolx "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">',
      '  <!ENTITY lolxx "&lolx;&lolx;&lolx;&lolx;&lolx;&lolx;&lolx;&lolx;&lolx;&lolx;">',
      ']>',
      '<ASAP_Annotations>',
      '<Annotations>',
      '<Annotation Name="a" Type="Polygon" PartOfGroup="Tumor">',
      '<Coordinates>',
      '<Coordinate Order="0" X="10" Y="10"/>',
      '<Coordinate Order="1" X="200" Y="20"/>',
      '<Coordinate Order="2" X="20" Y="200" Note="&lolxx;"/>',
      '</Coordinates>',
      '</Annotation>',
      '</Annotations>',
      '</ASAP_Annotations>',
      '',
    ].join('\n'),
  );
  writeFileSync(path.join(dir, 'nan.geojson'), `[${JSON.stringify(feature('ok', 'Tumor', box(0, 0, 512, 512)))},\n{"type":"Feature","properties":{"name":"blank"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[NaN,0],[5,5],[0,0]]]}}]`);
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a file with invalid geometry is refused by name and reason; the loaded annotations and the coverage filter stay', async ({ page }) => {
  await openApp(page);
  await openWithPicker(page, CMU);
  await waitForSlide(page, 'CMU-1-Small-Region.svs');
  await expectTotal(page, 30);
  // std filter off so the accepted count depends on coverage only
  await page.getByTestId('std-on').uncheck();

  await page.getByTestId('annotation-input').setInputFiles(path.join(dir, 'good.geojson'));
  const summary = page.getByTestId('annotation-summary');
  await expect(summary).toContainText('good.geojson: 2 shapes (geojson) · classes Stroma, Tumor');
  await page.getByTestId('coverage-on').check();
  await expect(page.getByTestId('counts')).toHaveAttribute('data-accepted', '10');
  await expect(page.getByTestId('count-coverage')).toHaveAttribute('data-n', '20');
  const summaryBefore = await summary.textContent();

  const refusals: [string, RegExp][] = [
    ['bowtie.geojson', /bowtie\.geojson \(geometry\): feature 1 "twisted" \(id id-twisted\): ring 0 \(outer\) crosses itself at \(1000, 1000\)/],
    ['short.xml', /short\.xml \(geometry\): annotation 0 "nick" \(line 4\): its polygon has 2 distinct vertices; a polygon needs at least 3/],
    ['nan.geojson', /nan\.geojson \(schema\): feature 1 "blank": invalid geometry: not a finite number \(got NaN\) at coordinates\[0\]\[1\]\[0\]/],
  ];
  for (const [file, message] of refusals) {
    await page.getByTestId('annotation-input').setInputFiles(path.join(dir, file));
    const error = page.getByTestId('annotation-error');
    await expect(error).toContainText(message);
    await expect(page.getByTestId('annotation-kept')).toContainText('good.geojson is still in use');
    // the good set, its classes and the plan's coverage are untouched
    await expect(summary).toHaveText(summaryBefore!);
    await expect(page.getByTestId('coverage-on')).toBeChecked();
    await expect(page.getByTestId('coverage-class').locator('option')).toHaveText(['any class', 'Stroma', 'Tumor']);
    expect(await counts(page)).toMatchObject({ total: 30, accepted: 10 });
    await expect(page.getByTestId('count-coverage')).toHaveAttribute('data-n', '20');
  }

  // a class chosen before a refusal keeps filtering afterwards, and a good file still replaces the set
  await page.getByTestId('coverage-class').selectOption('Tumor');
  await expect(page.getByTestId('counts')).toHaveAttribute('data-accepted', '4');
  await page.getByTestId('annotation-input').setInputFiles(path.join(dir, 'bowtie.geojson'));
  await expect(page.getByTestId('annotation-error')).toContainText('crosses itself');
  await expect(page.getByTestId('counts')).toHaveAttribute('data-accepted', '4');
  await page.getByTestId('annotation-input').setInputFiles(path.join(dir, 'good.geojson'));
  await expect(page.getByTestId('annotation-error')).toHaveCount(0);
  await expect(summary).toHaveText(summaryBefore!);
});

test('an ASAP XML with entity expansion is refused by its own name, not the slide’s, with the cause and what to do', async ({ page }, info) => {
  await openApp(page);
  await openWithPicker(page, CMU);
  await waitForSlide(page, 'CMU-1-Small-Region.svs');
  await page.getByTestId('annotation-input').setInputFiles(path.join(dir, 'laughs.xml'));
  const error = page.getByTestId('annotation-error');
  await expect(error.getByTestId('refused-file')).toHaveText('laughs.xml');
  await expect(error.getByTestId('refusal-cause')).toContainText('laughs.xml declares its own XML entities (<!ENTITY …>), which are not expanded');
  await expect(error.getByTestId('refusal-advice')).toContainText(/^What to do: Save the annotations again/);
  // the parser's own words stay: the line and the entity
  await expect(error.getByTestId('refusal-reason')).toContainText('laughs.xml (syntax): line 13: unknown entity "&lolxx;"');
  await expect(error).not.toContainText('CMU-1-Small-Region');
  await error.scrollIntoViewIfNeeded();
  await shot(page, info, 'refusal-laughs.xml');
  await expectTotal(page, 30);
});
