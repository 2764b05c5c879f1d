import { expect } from 'chai';
import { crc32, inflateSync } from 'node:zlib';
import { mediaBytes } from '../../src/simulator/media.js';

describe('simulator media', () => {
  it('builds a PNG whose chunks all carry correct CRCs and a 1x1 image', () => {
    const png = mediaBytes('image');
    expect([...png.subarray(0, 8)]).to.deep.equal([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const types: string[] = [];
    let offset = 8;
    while (offset < png.length) {
      const length = png.readUInt32BE(offset);
      const typed = png.subarray(offset + 4, offset + 8 + length);
      types.push(typed.subarray(0, 4).toString('ascii'));
      expect(png.readUInt32BE(offset + 8 + length)).to.equal(crc32(typed) >>> 0);
      if (types.at(-1) === 'IDAT') expect(inflateSync(typed.subarray(4)).length).to.equal(4);
      offset += 12 + length;
    }
    expect(types).to.deep.equal(['IHDR', 'IDAT', 'IEND']);
    expect(png.readUInt32BE(16)).to.equal(1);
  });

  it('builds a GLB (glTF 2.0 binary): its header, its declared length, one JSON chunk naming version 2.0', () => {
    const glb = mediaBytes('model');
    expect(glb.subarray(0, 4).toString('ascii')).to.equal('glTF');
    expect(glb.readUInt32LE(4)).to.equal(2);
    expect(glb.readUInt32LE(8)).to.equal(glb.length);
    const chunkLength = glb.readUInt32LE(12);
    expect(chunkLength % 4).to.equal(0);
    expect(glb.subarray(16, 20).toString('ascii')).to.equal('JSON');
    expect(JSON.parse(glb.subarray(20, 20 + chunkLength).toString('utf8'))).to.deep.equal({ asset: { version: '2.0' } });
  });

  it('builds an MP4 of ftyp then moov, each box sized to its bytes', () => {
    const mp4 = mediaBytes('video');
    const boxes: string[] = [];
    let offset = 0;
    while (offset < mp4.length) {
      boxes.push(mp4.subarray(offset + 4, offset + 8).toString('ascii'));
      offset += mp4.readUInt32BE(offset);
    }
    expect(offset).to.equal(mp4.length);
    expect(boxes).to.deep.equal(['ftyp', 'moov']);
    expect(mp4.subarray(40, 44).toString('ascii')).to.equal('mvhd');
  });

  it('builds one MPEG audio frame', () => {
    const mp3 = mediaBytes('audio');
    expect([...mp3.subarray(0, 2)]).to.deep.equal([0xff, 0xfb]);
    expect(mp3.length).to.equal(417);
  });
});
