// Checks a gift's inclusion proof in the donor's own browser (/cong-khai/bien-lai/...):
// recomputes the Merkle root from the leaf and its proof (RFC 9162, section 2.1.3.2) with
// WebCrypto's SHA-256, compares it with the root of the latest signed checkpoint, and
// checks the log's Ed25519 signature on that checkpoint (c2sp.org/signed-note) against
// the log's published key. Nothing is fetched: every figure is in the page.
"use strict";

(function () {
  const encoder = new TextEncoder();

  class ProofError extends Error {}

  function fromBase64(text) {
    let binary;
    try {
      binary = atob(text);
    } catch (error) {
      throw new ProofError("một mã băm không phải base64");
    }
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i += 1) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes;
  }

  function hash32(text, what) {
    const bytes = fromBase64(text || "");
    if (bytes.length !== 32) {
      throw new ProofError(what + " không dài đúng 32 byte");
    }
    return bytes;
  }

  function concat(parts) {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }

  function equal(a, b) {
    return a.length === b.length && a.every((value, i) => value === b[i]);
  }

  async function sha256(bytes) {
    return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  }

  function nodeHash(left, right) {
    return sha256(concat([Uint8Array.of(1), left, right]));
  }

  function count(text, what) {
    if (!/^[0-9]+$/.test(String(text))) {
      throw new ProofError(what + " không phải số nguyên không âm");
    }
    return BigInt(text);
  }

  // The root that a leaf's inclusion proof leads to (RFC 9162, 2.1.3.2); indices are
  // BigInts so that a log of any size, or a forged index, is read exactly.
  async function rootFromProof(leafIndex, treeSize, leafHash, proof) {
    let fn = count(leafIndex, "vị trí của lá");
    let sn = count(treeSize, "kích thước cây") - 1n;
    if (fn > sn) {
      throw new ProofError("vị trí của lá nằm ngoài cây");
    }
    let root = hash32(leafHash, "mã băm của lá");
    for (const text of proof) {
      const node = hash32(text, "một mã băm của chứng minh");
      if (sn === 0n) {
        throw new ProofError("chứng minh dài hơn cây");
      }
      if (fn % 2n === 1n || fn === sn) {
        root = await nodeHash(node, root);
        while (fn % 2n === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      } else {
        root = await nodeHash(root, node);
      }
      fn >>= 1n;
      sn >>= 1n;
    }
    if (sn !== 0n) {
      throw new ProofError("chứng minh ngắn hơn cây");
    }
    return root;
  }

  // True when the proof leads from the leaf to ``root``; false (or a ProofError naming
  // what is malformed) otherwise.
  async function verifyInclusion(leafIndex, treeSize, leafHash, proof, root) {
    const expected = hash32(root, "mã băm gốc");
    return equal(await rootFromProof(leafIndex, treeSize, leafHash, proof || []), expected);
  }

  // Reads a signed note: its text (which the signatures cover) and its signature lines.
  function parseNote(note) {
    const split = note.indexOf("\n\n");
    if (split < 0) {
      throw new ProofError("điểm kiểm tra không có dòng chữ ký");
    }
    const text = note.slice(0, split + 1);
    const lines = note.slice(split + 2).split("\n").filter((line) => line !== "");
    const signatures = lines.map((line) => {
      const found = /^\u2014 (\S+) (\S+)$/.exec(line);
      if (!found) {
        throw new ProofError("một dòng chữ ký của điểm kiểm tra sai dạng");
      }
      return { name: found[1], bytes: fromBase64(found[2]) };
    });
    return { text: text, signatures: signatures };
  }

  // Checks the log's signature on the checkpoint and that the checkpoint states
  // ``treeSize`` and ``root``. Resolves to true, or rejects with a ProofError.
  async function verifyCheckpoint(note, verifierKey, treeSize, root) {
    // <name>+<key id, hex>+<base64 key>; the base64 may hold "+" itself.
    const first = verifierKey.indexOf("+");
    const second = verifierKey.indexOf("+", first + 1);
    if (first < 1 || second < 0) {
      throw new ProofError("khóa công khai của sổ sai dạng");
    }
    const name = verifierKey.slice(0, first);
    const keyId = verifierKey.slice(first + 1, second);
    const encoded = verifierKey.slice(second + 1);
    const key = fromBase64(encoded);
    if (key.length !== 33 || key[0] !== 1) {
      throw new ProofError("khóa công khai của sổ không phải khóa Ed25519");
    }
    const parsed = parseNote(note);
    const head = parsed.text.split("\n");
    if (head[0] !== name || head[1] !== String(treeSize) || head[2] !== root) {
      throw new ProofError("điểm kiểm tra không khớp với kích thước cây và gốc trên trang");
    }
    const ours = parsed.signatures.find((signature) => {
      const id = Array.from(signature.bytes.slice(0, 4), (b) => b.toString(16).padStart(2, "0"));
      return signature.name === name && id.join("") === keyId.toLowerCase();
    });
    if (!ours || ours.bytes.length !== 68) {
      throw new ProofError("điểm kiểm tra không có chữ ký của sổ");
    }
    let publicKey;
    try {
      publicKey = await crypto.subtle.importKey("raw", key.slice(1), { name: "Ed25519" }, false, [
        "verify",
      ]);
    } catch (error) {
      throw new ProofError("trình duyệt này chưa kiểm được chữ ký Ed25519");
    }
    const good = await crypto.subtle.verify(
      { name: "Ed25519" },
      publicKey,
      ours.bytes.slice(4),
      encoder.encode(parsed.text),
    );
    if (!good) {
      throw new ProofError("chữ ký của sổ trên điểm kiểm tra không đúng");
    }
    return true;
  }

  async function check(section, verifierKey) {
    const data = section.dataset;
    const proof = data.path ? data.path.split(" ") : [];
    const included = await verifyInclusion(
      data.leafIndex,
      data.treeSize,
      data.leafHash,
      proof,
      data.root,
    );
    if (!included) {
      return {
        ok: false,
        text: "Không kiểm chứng được: gốc tính từ bản ghi và chứng minh khác gốc của điểm kiểm tra đã ký.",
      };
    }
    if (!verifierKey) {
      return {
        ok: true,
        text: "Đã kiểm chứng: bản ghi nằm trong cây có gốc của điểm kiểm tra. Trang này không đăng khóa công khai của sổ nên chưa kiểm được chữ ký.",
      };
    }
    await verifyCheckpoint(data.checkpoint, verifierKey, data.treeSize, data.root);
    return {
      ok: true,
      text: "Đã kiểm chứng: bản ghi nằm trong sổ, và điểm kiểm tra chứa nó mang chữ ký đúng của sổ.",
    };
  }

  async function run() {
    const main = document.querySelector("[data-log-key]");
    const verifierKey = main ? main.dataset.logKey : "";
    for (const section of document.querySelectorAll("[data-leaf-hash][data-root]")) {
      const verdict = section.querySelector(".verdict");
      let result;
      if (!window.crypto || !crypto.subtle) {
        result = {
          ok: false,
          text: "Không kiểm chứng được: trình duyệt chỉ cho tính mã băm trên trang https.",
        };
      } else {
        try {
          result = await check(section, verifierKey);
        } catch (error) {
          const why = error instanceof ProofError ? error.message : "lỗi không lường trước";
          result = { ok: false, text: "Không kiểm chứng được: " + why + "." };
        }
      }
      verdict.textContent = result.text;
      verdict.className = "verdict " + (result.ok ? "ok" : "error");
      verdict.dataset.verified = result.ok ? "yes" : "no";
      verdict.hidden = false;
    }
  }

  window.SovangProof = {
    rootFromProof: rootFromProof,
    verifyInclusion: verifyInclusion,
    verifyCheckpoint: verifyCheckpoint,
    ProofError: ProofError,
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
