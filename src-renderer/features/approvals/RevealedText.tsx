// An assistant's text as the user must read it before it goes out: exactly the characters it holds,
// each hidden one drawn as a labelled marker where it sits, and after each link whose words are not
// its address (or whose host is written in look-alike letters) where it really goes. Nothing here
// is a live link: the address is shown, never followed.
import { Fragment } from 'react';
import { hostAsResolved, revealHidden, revealLinks } from '../../../src-shared/compose/revealText';

export function RevealedText({ text, className, inline = false }: { text: string; className?: string; inline?: boolean }) {
  const Tag = inline ? 'span' : 'p';
  return (
    // `unicode-bidi: plaintext` in CSS, and every control drawn as a marker, so nothing in the text
    // can reorder what is shown around it.
    <Tag className={`revealed-text ${className ?? ''}`}>
      {revealLinks(text).map((piece, index) =>
        piece.kind === 'text' ? (
          <Visible key={index} text={piece.text} />
        ) : (
          <span key={index} className="revealed-link">
            <Visible text={piece.written} />
            <LinkTarget words={piece.words} address={piece.address} />
          </span>
        ),
      )}
    </Tag>
  );
}

/** Where a link goes, when its words do not already say so plainly. */
function LinkTarget({ words, address }: { words: string; address: string }) {
  const host = hostAsResolved(address);
  if (words === address && host === null) return null;
  return (
    <span className="revealed-link-address">
      {words !== address && (
        <>
          → links to <Visible text={address} />
        </>
      )}
      {words !== address && host !== null && ', '}
      {host !== null && <>really goes to host {host}</>}
    </span>
  );
}

function Visible({ text }: { text: string }) {
  return (
    <>
      {revealHidden(text).map((piece, index) =>
        piece.kind === 'text' ? (
          <Fragment key={index}>{piece.text}</Fragment>
        ) : (
          <mark key={index} className="hidden-char" title={`${piece.codePoint} ${piece.name}: a character that draws nothing or reorders the text`}>
            ⟦{piece.codePoint} {piece.name}⟧
          </mark>
        ),
      )}
    </>
  );
}
